"""Terraform state v4: the typed model, the reader, and addresses."""

from iac.state.localfile import StateLocked
from iac.state.model import InstanceObject, OutputState, ResourceState, State
from iac.state.tfstate import parse_state, pull_state, read_state

__all__ = ["InstanceObject", "OutputState", "ResourceState", "State", "StateLocked", "parse_state", "pull_state",
           "read_state"]
