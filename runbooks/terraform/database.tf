resource "aws_db_subnet_group" "checkout" {
  name       = "checkout-${var.environment}"
  subnet_ids = var.db_subnet_ids
  tags       = local.service_tags
}

resource "aws_kms_key" "checkout_db" {
  description             = "Checkout database storage and master user secret"
  deletion_window_in_days = 30
  enable_key_rotation     = true
  tags                    = local.service_tags

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_db_instance" "checkout" {
  identifier     = "checkout-${var.environment}"
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.r6g.large"

  allocated_storage     = 100
  max_allocated_storage = 500
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.checkout_db.arn

  username = "checkout"
  # RDS generates the password and keeps it in Secrets Manager (rotated there).
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.checkout_db.key_id

  db_subnet_group_name   = aws_db_subnet_group.checkout.name
  vpc_security_group_ids = [aws_security_group.checkout_db.id]
  multi_az               = true

  backup_retention_period   = 14
  deletion_protection       = true
  final_snapshot_identifier = "checkout-${var.environment}-final"

  tags = local.service_tags
}
