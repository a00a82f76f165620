# Checkout service infrastructure (Acme Pay, production account).
# Every resource gets owner and environment from the provider's default_tags; resources add
# their own `service` tag (the payments platform shares this account between several services).

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      owner       = "team-payments"
      environment = var.environment
    }
  }
}

locals {
  service_tags = {
    service = "checkout"
  }
}

module "receipts" {
  source = "./modules/storage"

  bucket_name = "acme-pay-checkout-receipts-${var.environment}"
  tags        = local.service_tags
}

# Application logs of the checkout API. (Deliberately missing its `service` tag: the
# cost report shows it as unallocated spend.)
resource "aws_cloudwatch_log_group" "checkout_api" {
  name              = "/acme-pay/checkout/api"
  retention_in_days = 30
}
