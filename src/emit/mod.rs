//! A planned stack → CloudFormation JSON or YAML text, byte-for-byte deterministic.
