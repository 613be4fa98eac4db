/**
 * Where the Model Monitor analyzer image (`sagemaker-model-monitor-analyzer`) lives, per region,
 * for the commercial `aws` partition.
 *
 * Source: the SageMaker Python SDK, `image_uri_config/model-monitor.json` (aws/sagemaker-python-sdk,
 * `src/sagemaker/image_uri_config/`, now `sagemaker-core/src/sagemaker/core/image_uri_config/`).
 * The SDK gives the image no tag (its version key carries no tag), so ECR serves `latest`; the
 * Developer Guide documents no versioned tag either
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-pre-built-container.html).
 */
export const MODEL_MONITOR_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '875698925577',
  'ap-east-1': '001633400207',
  'ap-northeast-1': '574779866223',
  'ap-northeast-2': '709848358524',
  'ap-northeast-3': '990339680094',
  'ap-south-1': '126357580389',
  'ap-southeast-1': '245545462676',
  'ap-southeast-2': '563025443158',
  'ap-southeast-3': '669540362728',
  'ca-central-1': '536280801234',
  'eu-central-1': '048819808253',
  'eu-central-2': '590183933784',
  'eu-north-1': '895015795356',
  'eu-south-1': '933208885752',
  'eu-south-2': '437450045455',
  'eu-west-1': '468650794304',
  'eu-west-2': '749857270468',
  'eu-west-3': '680080141114',
  'il-central-1': '843974653677',
  'me-central-1': '588750061953',
  'me-south-1': '607024016150',
  'sa-east-1': '539772159869',
  'us-east-1': '156813124566',
  'us-east-2': '777275614652',
  'us-west-1': '890145073186',
  'us-west-2': '159807026194',
};

/**
 * The same image in the China (`aws-cn`) partition, whose registry domain is
 * `amazonaws.com.cn`. Same source (model-monitor.json lists both regions), and the SageMaker
 * Developer Guide's registry paths for cn-north-1
 * (`453000072557.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-model-monitor-analyzer`).
 */
export const MODEL_MONITOR_CHINA_ACCOUNTS: Readonly<Record<string, string>> = {
  'cn-north-1': '453000072557',
  'cn-northwest-1': '453252182341',
};
