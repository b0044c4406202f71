variable "environment" {
  type        = string
  description = "Deployment environment"
}

variable "teams" {
  description = "Teams that get a workspace"
  type = map(object({
    cost_center = string
    workers     = optional(number, 2)
    admins      = optional(list(string), [])
    gpu         = optional(bool, false)
  }))
}

variable "default_tags" {
  type    = map(string)
  default = {}
}

variable "region" {
  type    = string
  default = "eu-west-1"
  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+-[0-9]$", var.region))
    error_message = "The region must look like eu-west-1."
  }
}
