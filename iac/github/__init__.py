"""Pull-request comments on GitHub: split a Markdown plan to fit, and keep the comments up to date."""
