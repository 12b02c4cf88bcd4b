//! [`Model`](crate::model::Model) → a CloudFormation stack (resources with logical IDs,
//! typed intrinsics, least-privilege IAM).
