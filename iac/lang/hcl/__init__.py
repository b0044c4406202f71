"""HCL native syntax for iac: one exact parser for `.tf` files and for the `${...}` templates inside
`.tf.json` strings, producing the syntax tree of `iac.lang.ast`.

Hand-written after HashiCorp's `hclsyntax` (the parser Terraform uses), because iac needs what generic HCL
libraries don't give: a standalone template entry point for JSON-syntax strings, heredoc bodies parsed as
templates, exact line:column positions on every node, and Terraform's own accept/reject decisions.

    parse_config(text, file)                 -> ast.Body            a whole .tf / .tfvars file
    parse_expression(text, file, line, col)  -> ast.Expr            one expression (-var values)
    parse_template(text, file, line, col)    -> ast.Expr            a JSON-syntax string value
    parse_traversal(text, file, line, col)   -> ast.ScopeTraversal  a static reference (depends_on ...)

Every function raises `HclSyntaxError` (`.message`, `.pos`; `str()` is "file:line: message") on the first
error HCL itself would report.
"""

from __future__ import annotations

from iac.lang.hcl.errors import HclSyntaxError
from iac.lang.hcl.parser import parse_config, parse_expression, parse_template, parse_traversal

__all__ = ["HclSyntaxError", "parse_config", "parse_expression", "parse_template", "parse_traversal"]
