variable "users" {
  default = ["ann", "bo", "cy"]
}

locals {
  script = templatefile("${path.module}/init.sh.tftpl", {
    users  = var.users
    region = "eu-west-1"
  })
  greeting = "Hello, %{ if length(var.users) > 2 }everyone%{ else }you%{ endif }!"
}

resource "terraform_data" "init" {
  input = {
    script   = local.script
    greeting = local.greeting
    lines    = length(split("\n", trimspace(local.script)))
  }
}

output "script" { value = local.script }
output "path" { value = path.module }
