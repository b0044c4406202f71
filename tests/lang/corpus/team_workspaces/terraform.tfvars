environment = "prod"
teams = {
  fraud = {
    cost_center = "cc-101"
    workers     = 8
    admins      = ["alice@example.com", "bob@example.com"]
  }
  search = {
    cost_center = "cc-202"
    gpu         = true
  }
  "data-science" = {
    cost_center = "cc-303"
    workers     = 4
  }
}
default_tags = { owner = "platform", managed_by = "terraform" }
