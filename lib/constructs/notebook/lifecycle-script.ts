import { Fn, Token, Tokenization } from 'aws-cdk-lib';

/**
 * The most characters one base64-encoded lifecycle script may have: SageMaker's limit on
 * `NotebookInstanceLifecycleHook.Content`.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_NotebookInstanceLifecycleHook.html
 */
export const MAX_NOTEBOOK_SCRIPT_BASE64_LENGTH = 16384;

/** The base64 length of a concrete script, or undefined when the script holds tokens. */
export function base64Length(script: string): number | undefined {
  if (Token.isUnresolved(script)) return undefined;
  return Buffer.from(script, 'utf-8').toString('base64').length;
}

/** The script base64-encoded: at synth when concrete, with `Fn::Base64` when it holds tokens. */
export function encodeScript(script: string): string {
  return Token.isUnresolved(script) ? Fn.base64(script) : Buffer.from(script, 'utf-8').toString('base64');
}

/**
 * A shell script for an on-start hook that installs an idle check on a notebook instance:
 * a cron job every five minutes reads Jupyter's own API on the instance and, when no kernel is
 * busy and nothing happened for `idleMinutes`, calls `StopNotebookInstance` on this instance
 * (its name and region come from the instance's resource metadata). The execution role needs
 * `sagemaker:StopNotebookInstance` on the instance, which `NotebookInstance` grants.
 *
 * It uses only Python's standard library plus the boto3 of the notebook's system environment,
 * so it works without internet access.
 */
export function idleAutoStopScript(idleMinutes: number): string {
  // A token (Duration.minutes(token)) becomes a string token here, so encodeScript uses Fn::Base64.
  const minutes = Tokenization.stringifyNumber(idleMinutes);
  return `#!/bin/bash
# Idle auto-stop installed by sagemaker-cdk-constructs: stops this notebook instance after
# ${minutes} minutes without activity. Checked every 5 minutes by cron.
set -eu
cat > /usr/local/bin/notebook-idle-stop.py <<'PYTHON'
import datetime, json, ssl, sys, urllib.request
import boto3

idle_seconds = int(sys.argv[1]) * 60
# Jupyter on the instance serves a self-signed certificate on localhost only.
context = ssl._create_unverified_context()
now = datetime.datetime.now(datetime.timezone.utc)

def get(path):
    with urllib.request.urlopen('https://localhost:8443' + path, context=context, timeout=10) as response:
        return json.load(response)

def seconds_since(timestamp):
    when = datetime.datetime.fromisoformat(timestamp.replace('Z', '+00:00'))
    return (now - when).total_seconds()

kernels = get('/api/kernels')
if any(kernel.get('execution_state') == 'busy' for kernel in kernels):
    sys.exit(0)
activity = [kernel['last_activity'] for kernel in kernels if kernel.get('last_activity')]
status = get('/api/status')
if status.get('last_activity'):
    activity.append(status['last_activity'])
if any(seconds_since(timestamp) < idle_seconds for timestamp in activity):
    sys.exit(0)
with open('/opt/ml/metadata/resource-metadata.json') as metadata_file:
    metadata = json.load(metadata_file)
region = metadata['ResourceArn'].split(':')[3]
print('idle for more than', idle_seconds, 'seconds: stopping', metadata['ResourceName'])
boto3.client('sagemaker', region_name=region).stop_notebook_instance(NotebookInstanceName=metadata['ResourceName'])
PYTHON
PYTHON_BIN=/home/ec2-user/anaconda3/envs/JupyterSystemEnv/bin/python
if [ ! -x "$PYTHON_BIN" ]; then PYTHON_BIN=$(command -v python3); fi
echo "*/5 * * * * root $PYTHON_BIN /usr/local/bin/notebook-idle-stop.py ${minutes} >> /var/log/notebook-idle-stop.log 2>&1" > /etc/cron.d/notebook-idle-stop
chmod 0644 /etc/cron.d/notebook-idle-stop
`;
}
