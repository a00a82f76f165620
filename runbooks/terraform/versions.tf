terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }

  backend "s3" {
    bucket         = "acme-pay-terraform-state"
    key            = "checkout/prod/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "acme-pay-terraform-locks"
    encrypt        = true
  }
}
