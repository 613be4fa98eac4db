import { expectNagClean } from '../helpers';
import { trainingPipelineApp } from './apps';

// (a) No acknowledgement in the app: every finding of the library's own internals is fixed or
// acknowledged inside the construct that causes it (docs/acknowledgements.md).
test('a scheduled training pipeline (ProcessingJob, TrainingJob, MlPipeline) in an MlNetwork with default props has no cdk-nag or CloudFormation finding', () => {
  expectNagClean(trainingPipelineApp());
});
