variable "vpc_cidr" {
  default = "10.20.0.0/16"
}

variable "azs" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

locals {
  private_subnets = [for i, az in var.azs : cidrsubnet(var.vpc_cidr, 4, i)]
  public_subnets  = [for i, az in var.azs : cidrsubnet(var.vpc_cidr, 8, 100 + i)]
  subnet_map      = zipmap(var.azs, local.private_subnets)
  netmask         = cidrnetmask(local.private_subnets[0])
  first_host      = cidrhost(local.public_subnets[0], 5)
  subnets_b       = cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)
}

resource "terraform_data" "subnet" {
  for_each = local.subnet_map
  input = {
    az    = each.key
    cidr  = each.value
    index = index(var.azs, each.key)
    name  = upper(substr(each.key, -2, 2))
  }
}

output "private" { value = local.private_subnets }
output "public" { value = local.public_subnets }
output "netmask" { value = local.netmask }
output "first_host" { value = local.first_host }
output "subnets_b" { value = local.subnets_b }
