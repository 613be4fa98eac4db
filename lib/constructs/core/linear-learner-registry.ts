/**
 * Where SageMaker's Linear Learner algorithm image (`linear-learner`, tag `1`, training and
 * inference) lives, per region, for the commercial `aws` partition.
 *
 * Source: the SageMaker Python SDK 3.20.0 (sagemaker-core), `image_uri_config/linear-learner.json`
 * (aws/sagemaker-python-sdk, `sagemaker-core/src/sagemaker/core/image_uri_config/`, formerly
 * `src/sagemaker/image_uri_config/`): version `1`, scopes `inference` and `training`, no processor
 * list (one image for CPU and GPU instances). The algorithm accounts differ from the XGBoost and
 * scikit-learn framework accounts in most regions.
 */
export const LINEAR_LEARNER_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '455444449433',
  'ap-east-1': '286214385809',
  'ap-northeast-1': '351501993468',
  'ap-northeast-2': '835164637446',
  'ap-northeast-3': '867004704886',
  'ap-south-1': '991648021394',
  'ap-south-2': '628508329040',
  'ap-southeast-1': '475088953585',
  'ap-southeast-2': '712309505854',
  'ap-southeast-3': '951798379941',
  'ap-southeast-4': '106583098589',
  'ca-central-1': '469771592824',
  'ca-west-1': '190319476487',
  'eu-central-1': '664544806723',
  'eu-central-2': '680994064768',
  'eu-north-1': '669576153137',
  'eu-south-1': '257386234256',
  'eu-south-2': '104374241257',
  'eu-west-1': '438346466558',
  'eu-west-2': '644912444149',
  'eu-west-3': '749696950732',
  'il-central-1': '898809789911',
  'me-central-1': '272398656194',
  'me-south-1': '249704162688',
  'sa-east-1': '855470959533',
  'us-east-1': '382416733822',
  'us-east-2': '404615174143',
  'us-west-1': '632365934929',
  'us-west-2': '174872318107',
};

/**
 * The same image in the China (`aws-cn`) partition, whose registry domain is `amazonaws.com.cn`.
 * Same source (`linear-learner.json`, version `1`): one account per China region.
 */
export const LINEAR_LEARNER_CHINA_ACCOUNTS: Readonly<Record<string, string>> = {
  'cn-north-1': '390948362332',
  'cn-northwest-1': '387376663083',
};

/** The only image version the SDK lists for Linear Learner; the tag is the version. */
export const LINEAR_LEARNER_TAG = '1';
