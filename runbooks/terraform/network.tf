resource "aws_security_group" "checkout_api" {
  name        = "checkout-api"
  description = "Checkout API instances behind the public load balancer"
  vpc_id      = var.vpc_id

  ingress {
    description = "HTTPS from the load balancer and the internet"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # Added during the March incident "for a quick look" and never removed.
  ingress {
    description = "SSH for on-call"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "Outbound to payment processors and AWS APIs"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(local.service_tags, { Name = "checkout-api" })
}

resource "aws_security_group" "checkout_db" {
  name        = "checkout-db"
  description = "Checkout PostgreSQL, reachable from the application subnets only"
  vpc_id      = var.vpc_id

  ingress {
    description = "PostgreSQL from the application subnets"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.app_cidr]
  }

  tags = merge(local.service_tags, { Name = "checkout-db" })
}
