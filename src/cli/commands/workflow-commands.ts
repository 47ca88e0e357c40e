import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { registerWorkflowIncidents } from './workflow-incidents.js';
import { registerWorkflowRequests } from './workflow-requests.js';
import { registerWorkflowAnswers } from './workflow-answers.js';
import { registerWorkflowIspAdmin } from './workflow-isp-admin.js';
import { registerWorkflowOperator } from './workflow-operator.js';

/** The center's ISP workflow commands: incidents, requests, answers, isp-admin, operator. */
export function registerWorkflowCommands(program: Command, deps: CliDeps, globals: () => GlobalOptions): void {
  registerWorkflowIncidents(program, deps, globals);
  registerWorkflowRequests(program, deps, globals);
  registerWorkflowAnswers(program, deps, globals);
  registerWorkflowIspAdmin(program, deps, globals);
  registerWorkflowOperator(program, deps, globals);
}
