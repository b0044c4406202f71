variable "replicas" {
  type    = number
  default = 3
}

locals {
  ids = { a = "id-1", b = "id-2" }
}

import {
  for_each = local.ids
  to       = terraform_data.imported[each.key]
  id       = each.value
}

resource "terraform_data" "imported" {
  for_each = local.ids
}

resource "terraform_data" "app" {
  input = { replicas = var.replicas }
  lifecycle {
    precondition {
      condition     = var.replicas >= 1
      error_message = "At least one replica is required."
    }
    postcondition {
      condition     = self.input.replicas == var.replicas
      error_message = "The planned replicas differ."
    }
  }
}

output "replicas" {
  value = terraform_data.app.input.replicas
  precondition {
    condition     = var.replicas < 10
    error_message = "Too many replicas."
  }
}
