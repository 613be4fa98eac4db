"""The README's hosting sample in Python: the same resources as examples/snippets/network.ts and
examples/snippets/hosting.ts, written against the jsii-generated package.

Run it in a CDK Python app (pip install aws-cdk-lib constructs and the sagemaker-cdk-constructs
wheel that `node scripts/jsii-package.js` builds); `npm test` checks every class, method and
keyword argument it uses against the generated package."""
from aws_cdk import App, Duration, Stack
from sagemaker_cdk_constructs import (
    ContainerImage, DataQualityMonitor, DeploymentPolicy, Endpoint, EndpointAlarms, EndpointVariant,
    InferenceApi, InstanceType, MlKey, MlNetwork, Model, ModelContainer, ModelData, MonitoringBaseline,
    MonitoringSchedule, SecureBucket,
)

app = App()
scope = Stack(app, "Inference")
# snippet:start
key = MlKey(scope, "Key")  # rotation on, retained on delete
network = MlNetwork(scope, "Network", encryption_key=key)  # isolated subnets, VPC endpoints, flow logs
data = SecureBucket(scope, "Data", encryption_key=key)  # SSE-KMS, TLS only, versioned, access logs

model = Model(scope, "Model",
    containers=[ModelContainer(image=ContainerImage.xgboost("1.7-1"), model_data=ModelData.from_bucket(data, "models/model.tar.gz"))],
    vpc=network.vpc, vpc_subnets=network.subnets, security_groups=[network.endpoints_security_group],
)
endpoint = Endpoint(scope, "Endpoint",
    variants=[EndpointVariant.instance(model=model, instance_type=InstanceType.ML_C5_XLARGE, initial_instance_count=2)],
    data_capture={"destination": data, "prefix": "capture/", "sampling_percentage": 100, "encryption_key": key},
    encryption_key=key,
    deployment=DeploymentPolicy.canary(percent=10, wait=Duration.minutes(10)),  # at most half the fleet
)
variant = endpoint.variant("AllTraffic")
variant.auto_scale_instance_count(min_capacity=1, max_capacity=4).scale_on_invocations(target_invocations_per_instance=70)
alarms = EndpointAlarms(scope, "Alarms", variant=variant)  # alerts on their own KMS-encrypted topic
endpoint.add_rollback_alarms(alarms.model_latency_alarm, alarms.errors_alarm)  # roll a deployment back on them
DataQualityMonitor(scope, "Drift",
    endpoint=endpoint, output_bucket=data, encryption_key=key, network=network,
    baseline=MonitoringBaseline.from_bucket(data, "baseline/statistics.json", "baseline/constraints.json"),
    schedule=MonitoringSchedule.hourly(),
)
InferenceApi(scope, "Api", endpoint=endpoint, encryption_key=key)  # IAM auth, throttling, access logs
# snippet:end
app.synth()
