variable "bucket_name" {
  description = "Globally unique name of the bucket."
  type        = string
}

variable "tags" {
  description = "Tags added to the provider's default_tags."
  type        = map(string)
  default     = {}
}
