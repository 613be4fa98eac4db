#!/usr/bin/env node
import { App } from 'aws-cdk-lib';

// The example app: the stacks are added by lib/stacks (see README).
const app = new App();
app.synth();
