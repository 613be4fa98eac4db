#!/usr/bin/env bash
# Sets one parameter of a deployed CloudFormation stack to a model package version ARN, keeping
# the stack's template and every other parameter value, and waits for the update to finish.
# CloudFormation stays the owner of the stack's resources (no drift); the stack's own update
# behaviour (an endpoint's deployment policy, for example) governs how the change rolls out.
#
# Environment:
#   STACK_NAME               the stack to update (required)
#   PARAMETER_NAME           the stack parameter that names the model package version (required)
#   MODEL_PACKAGE_ARN        the new value (required)
#   CLOUDFORMATION_ROLE_ARN  optional: the service role CloudFormation uses for the update. When
#                            empty, no role is passed and CloudFormation uses the role associated
#                            with the stack (`cdk deploy` associates the bootstrap's
#                            cfn-exec role); a stack without one is refused.
#   POLL_SECONDS             seconds between status checks while the update runs (default 30)
#
# Exit status 0 when the stack is UPDATE_COMPLETE or CloudFormation reports "No updates are to
# be performed" (the version is already deployed); 1 otherwise, with the failure reasons of the
# update's stack events.
#
# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateStack.html
# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }
fail() {
  log "ERROR: $*"
  exit 1
}

stack="${STACK_NAME:-}"
parameter="${PARAMETER_NAME:-}"
arn="${MODEL_PACKAGE_ARN:-}"
role_arn="${CLOUDFORMATION_ROLE_ARN:-}"
poll_seconds="${POLL_SECONDS:-30}"

[ -n "$stack" ] || fail "STACK_NAME is not set."
[ -n "$parameter" ] || fail "PARAMETER_NAME is not set."
[ -n "$arn" ] || fail "MODEL_PACKAGE_ARN is not set."
# Parameter keys are alphanumeric logical ids; the ARN must not break the JSON written below.
[[ "$parameter" =~ ^[A-Za-z0-9]+$ ]] || fail "PARAMETER_NAME \"$parameter\" is not a CloudFormation parameter name (letters and digits)."
[[ "$arn" =~ ^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:model-package/[^[:space:]\",\\]+$ ]] || fail "MODEL_PACKAGE_ARN \"$arn\" is not a model package version ARN."
[[ "$poll_seconds" =~ ^[0-9]+$ ]] || fail "POLL_SECONDS \"$poll_seconds\" is not a whole number."

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

if ! described="$(aws cloudformation describe-stacks --stack-name "$stack" \
  --query 'Stacks[0].[StackStatus, RoleARN]' --output text 2>"$workdir/err")"; then
  fail "Could not describe stack \"$stack\": $(cat "$workdir/err")"
fi
read -r status stack_role <<<"$described"

case "$status" in
  CREATE_COMPLETE | UPDATE_COMPLETE | UPDATE_ROLLBACK_COMPLETE | IMPORT_COMPLETE | IMPORT_ROLLBACK_COMPLETE) ;;
  *_IN_PROGRESS) fail "Stack \"$stack\" is busy ($status). Let the running operation finish, then retry this action." ;;
  *) fail "Stack \"$stack\" is $status and cannot be updated. Repair the stack (for example continue the rollback), then retry this action." ;;
esac

role_args=()
if [ -n "$role_arn" ]; then
  role_args=(--role-arn "$role_arn")
  log "CloudFormation updates \"$stack\" with the role $role_arn."
elif [ -z "$stack_role" ] || [ "$stack_role" = "None" ]; then
  fail "Stack \"$stack\" has no service role associated, and this pipeline passes none: CloudFormation would update it with the pipeline's own credentials, which may only change this parameter. Deploy the stack with a CloudFormation execution role (cdk deploy associates the bootstrap's cfn-exec role) or give the pipeline a cloudFormationRole."
else
  log "CloudFormation updates \"$stack\" with the role associated with the stack ($stack_role)."
fi

if ! keys="$(aws cloudformation describe-stacks --stack-name "$stack" \
  --query 'Stacks[0].Parameters[].ParameterKey' --output text 2>"$workdir/err")"; then
  fail "Could not read the parameters of stack \"$stack\": $(cat "$workdir/err")"
fi
[ "$keys" = "None" ] && keys=""

found=""
for key in $keys; do
  [ "$key" = "$parameter" ] && found="yes"
done
[ -n "$found" ] || fail "Stack \"$stack\" has no parameter \"$parameter\" (its parameters: ${keys:-none}). Name the stack parameter that holds the model package version ARN."

# Every parameter is listed: the promoted one with its new value, every other one with
# UsePreviousValue, so the update changes nothing else.
{
  printf '['
  separator=''
  for key in $keys; do
    if [ "$key" = "$parameter" ]; then
      printf '%s{"ParameterKey":"%s","ParameterValue":"%s"}' "$separator" "$key" "$arn"
    else
      printf '%s{"ParameterKey":"%s","UsePreviousValue":true}' "$separator" "$key"
    fi
    separator=','
  done
  printf ']\n'
} >"$workdir/parameters.json"

# The token marks this update's stack events, so the failure reasons reported are this update's.
token="promote-$(printf '%s' "${CODEBUILD_BUILD_ID:-local-$$-$(date +%s)}" | tr -c 'A-Za-z0-9-' '-' | cut -c1-100)"

log "Updating stack \"$stack\": $parameter=$arn (template and other parameters unchanged)."
if ! aws cloudformation update-stack \
  --stack-name "$stack" \
  --use-previous-template \
  --parameters "file://$workdir/parameters.json" \
  --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM CAPABILITY_AUTO_EXPAND \
  --client-request-token "$token" \
  ${role_args[@]+"${role_args[@]}"} >"$workdir/out" 2>"$workdir/err"; then
  if grep -q 'No updates are to be performed' "$workdir/err"; then
    log "Stack \"$stack\" already runs $arn: no updates are to be performed."
    exit 0
  fi
  fail "UpdateStack of \"$stack\" was refused: $(cat "$workdir/err")"
fi

while :; do
  if ! status="$(aws cloudformation describe-stacks --stack-name "$stack" \
    --query 'Stacks[0].StackStatus' --output text 2>"$workdir/err")"; then
    fail "Could not read the status of stack \"$stack\": $(cat "$workdir/err")"
  fi
  case "$status" in
    UPDATE_COMPLETE)
      log "Stack \"$stack\" is UPDATE_COMPLETE with $parameter=$arn."
      exit 0
      ;;
    *_IN_PROGRESS)
      log "Stack \"$stack\" is $status; checking again in ${poll_seconds}s."
      sleep "$poll_seconds"
      ;;
    *)
      reasons="$(aws cloudformation describe-stack-events --stack-name "$stack" --max-items 200 \
        --query "StackEvents[?ClientRequestToken=='$token' && ends_with(ResourceStatus, 'FAILED')].[LogicalResourceId, ResourceStatus, ResourceStatusReason]" \
        --output text 2>/dev/null || true)"
      if [ -z "$reasons" ] || [ "$reasons" = "None" ]; then
        reasons="$(aws cloudformation describe-stacks --stack-name "$stack" \
          --query 'Stacks[0].StackStatusReason' --output text 2>/dev/null || true)"
      fi
      fail "The update of stack \"$stack\" to $parameter=$arn failed: the stack is $status. Failure reasons (newest first):
$reasons"
      ;;
  esac
done
