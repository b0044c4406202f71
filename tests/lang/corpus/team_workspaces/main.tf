locals {
  name_prefix = "${var.environment}-${replace(var.region, "-", "")}"
  common_tags = merge(var.default_tags, {
    environment = var.environment
    region      = var.region
  })
  gpu_teams   = toset([for name, team in var.teams : name if team.gpu])
  admin_pairs = flatten([
    for team, config in var.teams : [
      for admin in config.admins : { team = team, admin = admin }
    ]
  ])
  worker_total = sum([for team in values(var.teams) : team.workers])
}

module "team" {
  source   = "./modules/team"
  for_each = var.teams

  name        = format("%s-%s", local.name_prefix, lower(each.key))
  cost_center = each.value.cost_center
  workers     = each.value.workers
  tags        = merge(local.common_tags, { team = each.key, cost_center = each.value.cost_center })
}

resource "terraform_data" "gpu_pool" {
  for_each = local.gpu_teams
  input = {
    pool     = "${each.key}-gpu"
    max_size = lookup({ search = 4 }, each.key, 1)
  }
}

resource "terraform_data" "admin" {
  count = length(local.admin_pairs)
  input = "${local.admin_pairs[count.index].team}:${local.admin_pairs[count.index].admin}"
}

output "workspace_names" {
  value = { for k, m in module.team : k => m.name }
}

output "worker_total" {
  value = local.worker_total
}

output "summary" {
  value = <<-EOT
    %{ for name, team in var.teams ~}
    ${name}: ${team.workers} workers%{ if team.gpu } (gpu)%{ endif }
    %{ endfor ~}
  EOT
}
