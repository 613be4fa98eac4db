"""Writes test/fixtures/sagemaker-api-limits.json: the SageMaker API limits the library checks at
synth, read from the service model botocore ships (the model the API reference is generated from).
Run it with a Python that has botocore (python3 -m pip show botocore) after upgrading botocore."""
import json
import os

import botocore
import botocore.session

SHAPES = [
    "TrainingEnvironmentMap", "ProcessingEnvironmentMap", "TransformEnvironmentMap", "EnvironmentMap",
    "HyperParameters", "MetricName", "MetricRegex", "ParameterValues", "IntegerParameterRanges",
    "ContinuousParameterRanges", "CategoricalParameterRanges", "ModelName", "EndpointName", "PipelineName",
    "TerminationWaitInSeconds", "MaximumExecutionTimeoutInSeconds", "WaitIntervalInSeconds",
    "SecurityGroupIds", "Subnets",
]


def limits(shape):
    if shape.type_name == "map":
        return {"entries": shape.metadata.get("max"), "key": shape.key.metadata.get("max"), "value": shape.value.metadata.get("max")}
    return {k: v for k, v in shape.metadata.items() if k in ("min", "max", "pattern")}


model = botocore.session.get_session().get_service_model("sagemaker")
out = {"botocore": botocore.__version__, "shapes": {name: limits(model.shape_for(name)) for name in SHAPES}}
target = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "sagemaker-api-limits.json")
with open(target, "w") as handle:
    json.dump(out, handle, indent=2, sort_keys=True)
    handle.write("\n")
print(f"wrote {target} from botocore {botocore.__version__}")
