/**
 * Per-region ECR registry accounts of the SageMaker-built images, for the commercial `aws`
 * partition.
 *
 * Source: the SageMaker Python SDK, `src/sagemaker/image_uri_config/` (aws/sagemaker-python-sdk):
 * - `xgboost.json`, training/inference versions 0.90-1 to 1.7-1 (repository `sagemaker-xgboost`);
 *   `sklearn.json` uses the same accounts (repository `sagemaker-scikit-learn`).
 * - `model-monitor.json`, version 1 (repository `sagemaker-model-monitor-analyzer`).
 * Deep-learning containers (PyTorch) come from aws-cdk-lib's region-info fact
 * `DLC_REPOSITORY_ACCOUNT`, so they are not repeated here.
 */

/** Accounts of the first-party algorithm and framework images (XGBoost, scikit-learn). */
export const FIRST_PARTY_IMAGE_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '510948584623',
  'ap-east-1': '651117190479',
  'ap-northeast-1': '354813040037',
  'ap-northeast-2': '366743142698',
  'ap-northeast-3': '867004704886',
  'ap-south-1': '720646828776',
  'ap-south-2': '628508329040',
  'ap-southeast-1': '121021644041',
  'ap-southeast-2': '783357654285',
  'ap-southeast-3': '951798379941',
  'ap-southeast-4': '106583098589',
  'ca-central-1': '341280168497',
  'ca-west-1': '190319476487',
  'eu-central-1': '492215442770',
  'eu-central-2': '680994064768',
  'eu-north-1': '662702820516',
  'eu-south-1': '978288397137',
  'eu-south-2': '104374241257',
  'eu-west-1': '141502667606',
  'eu-west-2': '764974769150',
  'eu-west-3': '659782779980',
  'il-central-1': '898809789911',
  'me-central-1': '272398656194',
  'me-south-1': '801668240914',
  'sa-east-1': '737474898029',
  'us-east-1': '683313688378',
  'us-east-2': '257758044811',
  'us-west-1': '746614075791',
  'us-west-2': '246618743249',
};

/** Accounts of the Model Monitor analyzer image. */
export const MODEL_MONITOR_IMAGE_ACCOUNTS: Readonly<Record<string, string>> = {
  'ap-east-1': '001633400207',
  'ap-northeast-1': '574779866223',
  'ap-northeast-2': '709848358524',
  'ap-south-1': '126357580389',
  'ap-southeast-1': '245545462676',
  'ap-southeast-2': '563025443158',
  'ca-central-1': '536280801234',
  'eu-central-1': '048819808253',
  'eu-north-1': '895015795356',
  'eu-west-1': '468650794304',
  'eu-west-2': '749857270468',
  'eu-west-3': '680080141114',
  'me-south-1': '607024016150',
  'sa-east-1': '539772159869',
  'us-east-1': '156813124566',
  'us-east-2': '777275614652',
  'us-west-1': '890145073186',
  'us-west-2': '159807026194',
};

/** XGBoost versions the SDK lists for training and inference. */
export const XGBOOST_VERSIONS = ['0.90-1', '0.90-2', '1.0-1', '1.2-1', '1.2-2', '1.3-1', '1.5-1', '1.7-1'];

/** scikit-learn versions the SDK lists (`sklearn.json`). */
export const SKLEARN_VERSIONS = ['0.20.0', '0.23-1', '1.0-1', '1.2-1'];

/**
 * PyTorch deep-learning container versions with their default Python version
 * (`pytorch.json`, training and inference).
 */
export const PYTORCH_VERSIONS: Readonly<Record<string, string>> = {
  '1.12.1': 'py38',
  '1.13.1': 'py39',
  '2.0.1': 'py310',
  '2.1.0': 'py310',
  '2.2.0': 'py310',
  '2.3.0': 'py311',
};
