"""From an environment to deterministic Terraform JSON (`main.tf.json`)."""

from iac.synth.document import Synthesized, document, synthesize, synthesize_environment, write_synthesized

__all__ = ["Synthesized", "document", "synthesize", "synthesize_environment", "write_synthesized"]
