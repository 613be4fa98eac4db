#!/usr/bin/env bash
# Prints the ARN of the model package version to promote on stdout; everything else goes to stderr.
#
# Environment:
#   MODEL_PACKAGE_GROUP_NAME  the model package group (required)
#   PROMOTION_STAGE           staging or production; production requires MODEL_PACKAGE_ARN, so it
#                             never deploys a version staging has not deployed
#   MODEL_PACKAGE_ARN         unset or empty: pick the latest Approved version of the group
#                             (ListModelPackages, ModelApprovalStatus=Approved, CreationTime
#                             descending). Set (production: the version staging deployed and
#                             tested): check with DescribeModelPackage that this version still
#                             belongs to the group and is still Approved, and print it.
#
# Uses only the AWS CLI v2 of CodeBuild's standard images.
# https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListModelPackages.html
# https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeModelPackage.html
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }
fail() {
  log "ERROR: $*"
  exit 1
}

group="${MODEL_PACKAGE_GROUP_NAME:-}"
[ -n "$group" ] || fail "MODEL_PACKAGE_GROUP_NAME is not set."

# ModelPackageArn: arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]{9,16}:[0-9]{12}:model-package/[\S]{1,2048}
# (API_ModelPackageSummary). Quotes, backslashes and commas are refused as well: the ARN is
# written into a JSON parameter file by update-stack-parameter.sh.
arn_pattern='^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package/[^[:space:]",\\]+$'

requested="${MODEL_PACKAGE_ARN:-}"
if [ -z "$requested" ] && [ "${PROMOTION_STAGE:-}" = "production" ]; then
  fail "Production deploys only the version staging deployed, but MODEL_PACKAGE_ARN (the staging deploy action's exported variable) is empty."
fi
if [ -z "$requested" ]; then
  if ! arn="$(aws sagemaker list-model-packages \
    --model-package-group-name "$group" \
    --model-package-type Versioned \
    --model-approval-status Approved \
    --sort-by CreationTime \
    --sort-order Descending \
    --max-items 1 \
    --query 'ModelPackageSummaryList[0].ModelPackageArn' \
    --output text)"; then
    fail "Could not list the versions of model package group \"$group\" (see the AWS CLI error above)."
  fi
  if [ -z "$arn" ] || [ "$arn" = "None" ]; then
    fail "Model package group \"$group\" has no Approved version. Approve a version (UpdateModelPackage ModelApprovalStatus=Approved) to promote it."
  fi
  log "Latest Approved version of model package group \"$group\": $arn"
else
  arn="$requested"
  [[ "$arn" =~ $arn_pattern ]] || fail "MODEL_PACKAGE_ARN \"$arn\" is not a model package version ARN."
  if ! described="$(aws sagemaker describe-model-package \
    --model-package-name "$arn" \
    --query '[ModelApprovalStatus, ModelPackageGroupName]' \
    --output text)"; then
    fail "Could not describe model package version $arn (see the AWS CLI error above)."
  fi
  read -r status version_group <<<"$described"
  if [ "$version_group" != "$group" ]; then
    fail "Model package version $arn belongs to group \"$version_group\", not to \"$group\"; refusing to deploy it."
  fi
  if [ "$status" != "Approved" ]; then
    fail "Model package version $arn is \"$status\", no longer Approved, so it is not deployed. It was approved when staging deployed it; approve it again and start the pipeline to promote it."
  fi
  log "Model package version $arn is still Approved."
fi

[[ "$arn" =~ $arn_pattern ]] || fail "SageMaker returned \"$arn\", which is not a model package version ARN."
printf '%s\n' "$arn"
