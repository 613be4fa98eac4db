/**
 * The shell scripts the promotion pipeline's CodeBuild projects run, against a fake `aws` CLI
 * that records its arguments and prints canned answers (what `--output text` with the script's
 * `--query` prints).
 */
import { FakeAws, argument } from './fake-aws';

const GROUP = 'churn';
const V3 = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/3';
const STACK_ROLE = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1';

describe('resolve-model-version.sh', () => {
  test('staging: prints the latest Approved version of the group (Approved, CreationTime descending, first item)', () => {
    const aws = new FakeAws().answer('sagemaker.list-model-packages', { out: `${V3}\n` });
    const run = aws.run('resolve-model-version.sh', { MODEL_PACKAGE_GROUP_NAME: GROUP, PROMOTION_STAGE: 'staging' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${V3}\n`);
    expect(run.calls).toHaveLength(1);
    const [list] = run.calls;
    expect(list.operation).toBe('sagemaker.list-model-packages');
    expect(argument(list, '--model-package-group-name')).toBe(GROUP);
    expect(argument(list, '--model-approval-status')).toBe('Approved');
    expect(argument(list, '--sort-by')).toBe('CreationTime');
    expect(argument(list, '--sort-order')).toBe('Descending');
    expect(argument(list, '--model-package-type')).toBe('Versioned');
    expect(argument(list, '--max-items')).toBe('1');
    expect(argument(list, '--query')).toBe('ModelPackageSummaryList[0].ModelPackageArn');
    expect(argument(list, '--output')).toBe('text');
  });

  test('staging: a group without an Approved version fails with a clear message', () => {
    const aws = new FakeAws().answer('sagemaker.list-model-packages', { out: 'None\n' });
    const run = aws.run('resolve-model-version.sh', { MODEL_PACKAGE_GROUP_NAME: GROUP, PROMOTION_STAGE: 'staging' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Model package group "churn" has no Approved version');
  });

  test('staging: a failing ListModelPackages call fails the script', () => {
    const aws = new FakeAws().answer('sagemaker.list-model-packages', { err: 'AccessDeniedException', rc: 254 });
    const run = aws.run('resolve-model-version.sh', { MODEL_PACKAGE_GROUP_NAME: GROUP });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('AccessDeniedException');
    expect(run.stderr).toContain('Could not list the versions of model package group "churn"');
  });

  test('production: the version staging deployed is printed when it is still Approved', () => {
    const aws = new FakeAws().answer('sagemaker.describe-model-package', { out: 'Approved\tchurn\n' });
    const run = aws.run('resolve-model-version.sh', { MODEL_PACKAGE_GROUP_NAME: GROUP, PROMOTION_STAGE: 'production', MODEL_PACKAGE_ARN: V3 });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${V3}\n`);
    expect(run.calls.map((c) => c.operation)).toEqual(['sagemaker.describe-model-package']);
    expect(argument(run.calls[0], '--model-package-name')).toBe(V3);
    expect(argument(run.calls[0], '--query')).toBe('[ModelApprovalStatus, ModelPackageGroupName]');
  });

  test('production: a version that is no longer Approved is refused', () => {
    const aws = new FakeAws().answer('sagemaker.describe-model-package', { out: 'Rejected\tchurn\n' });
    const run = aws.run('resolve-model-version.sh', { MODEL_PACKAGE_GROUP_NAME: GROUP, PROMOTION_STAGE: 'production', MODEL_PACKAGE_ARN: V3 });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`Model package version ${V3} is "Rejected", no longer Approved, so it is not deployed`);
    expect(run.calls.map((c) => c.operation)).not.toContain('sagemaker.list-model-packages');
  });

  test('production: a version of another group is refused', () => {
    const aws = new FakeAws().answer('sagemaker.describe-model-package', { out: 'Approved\tfraud\n' });
    const run = aws.run('resolve-model-version.sh', { MODEL_PACKAGE_GROUP_NAME: GROUP, PROMOTION_STAGE: 'production', MODEL_PACKAGE_ARN: V3 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('belongs to group "fraud", not to "churn"');
  });

  test('production: without the staging version it never falls back to the latest Approved version', () => {
    const aws = new FakeAws().answer('sagemaker.list-model-packages', { out: `${V3}\n` });
    const run = aws.run('resolve-model-version.sh', { MODEL_PACKAGE_GROUP_NAME: GROUP, PROMOTION_STAGE: 'production', MODEL_PACKAGE_ARN: '' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Production deploys only the version staging deployed');
    expect(run.calls).toEqual([]);
  });

  test('a value that is not a model package version ARN is refused before any call', () => {
    const aws = new FakeAws();
    const run = aws.run('resolve-model-version.sh', { MODEL_PACKAGE_GROUP_NAME: GROUP, PROMOTION_STAGE: 'production', MODEL_PACKAGE_ARN: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/3","x' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is not a model package version ARN');
    expect(run.calls).toEqual([]);
  });
});

describe('update-stack-parameter.sh', () => {
  const env = { STACK_NAME: 'ChurnStaging', PARAMETER_NAME: 'ModelPackageVersionArn', MODEL_PACKAGE_ARN: V3, CODEBUILD_BUILD_ID: 'Promotion-DeployProject:7f9c1e2a-1111-2222-3333-444455556666' };

  /** A stack with three parameters and the bootstrap's execution role associated. */
  function deployedStack(): FakeAws {
    return new FakeAws()
      .answer('cloudformation.describe-stacks', { out: `UPDATE_COMPLETE\t${STACK_ROLE}\n` }, 1)
      .answer('cloudformation.describe-stacks', { out: 'InstanceCount\tModelPackageVersionArn\tBootstrapVersion\n' }, 2);
  }

  test('sets the parameter, keeps every other one with UsePreviousValue and the template, and waits for UPDATE_COMPLETE', () => {
    const aws = deployedStack()
      .answer('cloudformation.update-stack', { out: 'arn:aws:cloudformation:us-east-1:123456789012:stack/ChurnStaging/abc\n' })
      .answer('cloudformation.describe-stacks', { out: 'UPDATE_IN_PROGRESS\n' }, 3)
      .answer('cloudformation.describe-stacks', { out: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS\n' }, 4)
      .answer('cloudformation.describe-stacks', { out: 'UPDATE_COMPLETE\n' }, 5);
    const run = aws.run('update-stack-parameter.sh', env);
    expect(run.stderr).toContain('is UPDATE_COMPLETE with ModelPackageVersionArn=');
    expect(run.status).toBe(0);

    const update = run.calls.find((c) => c.operation === 'cloudformation.update-stack')!;
    expect(argument(update, '--stack-name')).toBe('ChurnStaging');
    expect(update.args).toContain('--use-previous-template');
    expect(update.args).not.toContain('--template-body');
    expect(update.args).not.toContain('--role-arn');
    const capabilities = update.args.slice(update.args.indexOf('--capabilities') + 1, update.args.indexOf('--capabilities') + 4);
    expect(capabilities).toEqual(['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']);
    expect(argument(update, '--client-request-token')).toBe('promote-Promotion-DeployProject-7f9c1e2a-1111-2222-3333-444455556666');
    expect(argument(update, '--parameters')).toMatch(/^file:\/\//);

    const parameters = JSON.parse(run.files.split('\n')[1]) as unknown;
    expect(parameters).toEqual([
      { ParameterKey: 'InstanceCount', UsePreviousValue: true },
      { ParameterKey: 'ModelPackageVersionArn', ParameterValue: V3 },
      { ParameterKey: 'BootstrapVersion', UsePreviousValue: true },
    ]);

    const describes = run.calls.filter((c) => c.operation === 'cloudformation.describe-stacks');
    expect(describes.map((c) => argument(c, '--query'))).toEqual([
      'Stacks[0].[StackStatus, RoleARN]',
      'Stacks[0].Parameters[].ParameterKey',
      'Stacks[0].StackStatus',
      'Stacks[0].StackStatus',
      'Stacks[0].StackStatus',
    ]);
  });

  test('"No updates are to be performed" (the version already runs) is a success', () => {
    const aws = deployedStack().answer('cloudformation.update-stack', {
      err: '\nAn error occurred (ValidationError) when calling the UpdateStack operation: No updates are to be performed.\n',
      rc: 254,
    });
    const run = aws.run('update-stack-parameter.sh', env);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('no updates are to be performed');
    // No waiting: the stack is not updating.
    expect(run.calls.filter((c) => c.operation === 'cloudformation.describe-stacks')).toHaveLength(2);
  });

  test('a refused UpdateStack fails with CloudFormation\'s error', () => {
    const aws = deployedStack().answer('cloudformation.update-stack', {
      err: 'An error occurred (AccessDenied) when calling the UpdateStack operation: not authorized\n',
      rc: 254,
    });
    const run = aws.run('update-stack-parameter.sh', env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('UpdateStack of "ChurnStaging" was refused: An error occurred (AccessDenied)');
  });

  test('a rolled-back update fails with the failure reasons of this update\'s stack events', () => {
    const aws = deployedStack()
      .answer('cloudformation.update-stack', { out: 'arn:aws:cloudformation:us-east-1:123456789012:stack/ChurnStaging/abc\n' })
      .answer('cloudformation.describe-stacks', { out: 'UPDATE_ROLLBACK_IN_PROGRESS\n' }, 3)
      .answer('cloudformation.describe-stacks', { out: 'UPDATE_ROLLBACK_COMPLETE\n' }, 4)
      .answer('cloudformation.describe-stack-events', {
        out: 'Endpoint\tUPDATE_FAILED\tAlarm ServerErrors in ALARM: the deployment rolled back\nApprovedVersion\tUPDATE_FAILED\tResource update cancelled\n',
      });
    const run = aws.run('update-stack-parameter.sh', env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('The update of stack "ChurnStaging" to ModelPackageVersionArn=');
    expect(run.stderr).toContain('failed: the stack is UPDATE_ROLLBACK_COMPLETE');
    expect(run.stderr).toContain('Alarm ServerErrors in ALARM: the deployment rolled back');
    const events = run.calls.find((c) => c.operation === 'cloudformation.describe-stack-events')!;
    expect(argument(events, '--query')).toBe(
      "StackEvents[?ClientRequestToken=='promote-Promotion-DeployProject-7f9c1e2a-1111-2222-3333-444455556666' && ends_with(ResourceStatus, 'FAILED')].[LogicalResourceId, ResourceStatus, ResourceStatusReason]",
    );
  });

  test('a stack without an associated service role is refused before any update', () => {
    const aws = new FakeAws()
      .answer('cloudformation.describe-stacks', { out: 'UPDATE_COMPLETE\tNone\n' }, 1)
      .answer('cloudformation.describe-stacks', { out: 'ModelPackageVersionArn\n' }, 2);
    const run = aws.run('update-stack-parameter.sh', env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Stack "ChurnStaging" has no service role associated');
    expect(run.calls.map((c) => c.operation)).not.toContain('cloudformation.update-stack');
  });

  test('CLOUDFORMATION_ROLE_ARN is passed as the update\'s role, also for a stack without one', () => {
    const role = 'arn:aws:iam::123456789012:role/PromotionCfn';
    const aws = new FakeAws()
      .answer('cloudformation.describe-stacks', { out: 'CREATE_COMPLETE\tNone\n' }, 1)
      .answer('cloudformation.describe-stacks', { out: 'ModelPackageVersionArn\n' }, 2)
      .answer('cloudformation.describe-stacks', { out: 'UPDATE_COMPLETE\n' }, 3);
    const run = aws.run('update-stack-parameter.sh', { ...env, CLOUDFORMATION_ROLE_ARN: role });
    expect(run.status).toBe(0);
    const update = run.calls.find((c) => c.operation === 'cloudformation.update-stack')!;
    expect(argument(update, '--role-arn')).toBe(role);
  });

  test('a stack without the parameter is refused, naming the parameters it has', () => {
    const aws = new FakeAws()
      .answer('cloudformation.describe-stacks', { out: `UPDATE_COMPLETE\t${STACK_ROLE}\n` }, 1)
      .answer('cloudformation.describe-stacks', { out: 'InstanceCount\tBootstrapVersion\n' }, 2);
    const run = aws.run('update-stack-parameter.sh', env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Stack "ChurnStaging" has no parameter "ModelPackageVersionArn" (its parameters: InstanceCount\tBootstrapVersion)');
    expect(run.calls.map((c) => c.operation)).not.toContain('cloudformation.update-stack');
  });

  test('a stack that is busy is refused', () => {
    const aws = new FakeAws().answer('cloudformation.describe-stacks', { out: `UPDATE_IN_PROGRESS\t${STACK_ROLE}\n` });
    const run = aws.run('update-stack-parameter.sh', env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Stack "ChurnStaging" is busy (UPDATE_IN_PROGRESS)');
  });

  test('a stack that does not exist fails with the CLI\'s error', () => {
    const aws = new FakeAws().answer('cloudformation.describe-stacks', { err: 'An error occurred (ValidationError): Stack with id ChurnStaging does not exist\n', rc: 254 });
    const run = aws.run('update-stack-parameter.sh', env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Could not describe stack "ChurnStaging": An error occurred (ValidationError): Stack with id ChurnStaging does not exist');
  });
});

describe('smoke-test.sh', () => {
  const env = {
    ENDPOINT_NAME: 'churn-staging',
    SMOKE_TEST_BODY: '42,0.5,"a b"',
    SMOKE_TEST_CONTENT_TYPE: 'text/csv',
    SMOKE_TEST_ACCEPT: 'application/json',
    SMOKE_TEST_PATTERN: '^\\{"score": 0\\.\\d+\\}\\s*$',
  };

  test('passes when the response body matches the pattern, sending the body unchanged', () => {
    const aws = new FakeAws().answer('sagemaker-runtime.invoke-endpoint', { out: '{"ContentType": "application/json", "InvokedProductionVariant": "AllTraffic"}\n', body: '{"score": 0.87}\n' });
    const run = aws.run('smoke-test.sh', env);
    expect(run.stderr).toContain('Smoke test of "churn-staging" passed');
    expect(run.status).toBe(0);
    const [invoke] = run.calls;
    expect(invoke.operation).toBe('sagemaker-runtime.invoke-endpoint');
    expect(argument(invoke, '--endpoint-name')).toBe('churn-staging');
    expect(argument(invoke, '--content-type')).toBe('text/csv');
    expect(argument(invoke, '--accept')).toBe('application/json');
    expect(argument(invoke, '--body')).toMatch(/^fileb:\/\//);
    expect(run.files).toContain('42,0.5,"a b"');
  });

  test('fails when the response body does not match the pattern', () => {
    const aws = new FakeAws().answer('sagemaker-runtime.invoke-endpoint', { out: '{}\n', body: '{"error": "bad input"}' });
    const run = aws.run('smoke-test.sh', env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('The response of "churn-staging" does not match');
    expect(run.stderr).toContain('{"error": "bad input"}');
  });

  test('fails when the endpoint call fails', () => {
    const aws = new FakeAws().answer('sagemaker-runtime.invoke-endpoint', { err: 'An error occurred (ModelError): Received server error (500)\n', rc: 254 });
    const run = aws.run('smoke-test.sh', env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('InvokeEndpoint on "churn-staging" failed: An error occurred (ModelError)');
  });

  test('without a pattern any response of a successful call passes, and no Accept header is sent', () => {
    const aws = new FakeAws().answer('sagemaker-runtime.invoke-endpoint', { out: '{}\n', body: 'anything' });
    const run = aws.run('smoke-test.sh', { ENDPOINT_NAME: 'churn-staging', SMOKE_TEST_BODY: '1,2', SMOKE_TEST_CONTENT_TYPE: 'text/csv' });
    expect(run.status).toBe(0);
    expect(run.calls[0].args).not.toContain('--accept');
  });
});
