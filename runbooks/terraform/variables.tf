variable "region" {
  description = "Primary AWS region of the checkout service."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Deployment environment (prod, staging)."
  type        = string
  default     = "prod"
}

variable "vpc_id" {
  description = "VPC the checkout service runs in (owned by the platform team's network stack)."
  type        = string
}

variable "db_subnet_ids" {
  description = "Private subnets for the checkout database."
  type        = list(string)
}

variable "app_cidr" {
  description = "CIDR of the application subnets allowed to reach the database."
  type        = string
  default     = "10.40.0.0/16"
}
