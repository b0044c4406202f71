variable "max_workers" {
  type    = number
  default = 10
}

variable "spot" {
  type    = bool
  default = true
}

locals {
  policy = {
    "autoscale.max_workers" = { type = "range", maxValue = var.max_workers }
    "spark_version"         = { type = "regex", pattern = "1[45]\\.[0-9]+\\.x-scala.*" }
    "aws_attributes.availability" = {
      type  = "fixed"
      value = var.spot ? "SPOT_WITH_FALLBACK" : "ON_DEMAND"
    }
  }
  policy_json = jsonencode(local.policy)
  decoded     = jsondecode(local.policy_json)
  keys_sorted = sort(keys(local.policy))
}

resource "terraform_data" "policy" {
  input = {
    definition = local.policy_json
    name       = title("jobs policy")
    checksum   = sha256(local.policy_json)
    b64        = base64encode("max=${var.max_workers}")
  }
}

output "keys" { value = local.keys_sorted }
output "same" { value = local.decoded == local.policy }
output "range_max" { value = local.decoded["autoscale.max_workers"].maxValue }
