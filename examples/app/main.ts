#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ScoringStack } from './scoring-stack';

const app = new App();
new ScoringStack(app, 'Scoring');
app.synth();
