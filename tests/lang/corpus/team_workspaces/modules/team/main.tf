variable "name" { type = string }
variable "cost_center" { type = string }
variable "workers" { type = number }
variable "tags" { type = map(string) }

locals {
  size_class = var.workers > 4 ? "large" : "small"
}

resource "terraform_data" "workspace" {
  input = {
    name       = var.name
    size_class = local.size_class
    tags       = var.tags
    autoscale  = { min = max(1, floor(var.workers / 2)), max = var.workers }
  }
}

output "name" {
  value = terraform_data.workspace.input.name
}
