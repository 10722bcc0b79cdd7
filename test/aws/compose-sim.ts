// A compose file converted the way `up` converts it, for tests of aws/ against the simulator.
import { renderTemplate } from '../../src/cloudformation/serialize.js';
import { convertProject } from '../../src/convert/index.js';
import type { ConvertedTemplate } from '../../src/aws/deploy.js';
import { converterEnvironment, type ResolvedEnvironment } from '../../src/aws/environment.js';
import type { Project } from '../../src/compose/model.js';
import { loadYaml } from '../convert/helpers.js';
import { recordForLint } from '../support/cfn-lint.js';

export function composeConvert(yaml: string | (() => string), options: { files?: Record<string, string>; projectName?: string } = {}) {
  return (env: ResolvedEnvironment): ConvertedTemplate => {
    const project: Project = loadYaml(typeof yaml === 'function' ? yaml() : yaml, { projectName: options.projectName ?? 'demo', ...(options.files ? { files: options.files } : {}) });
    const { template, diagnostics } = convertProject(project, {
      environment: converterEnvironment(env),
    });
    recordForLint(template); // also when up refuses it before the simulator sees it
    return { body: renderTemplate(template, 'json'), parameters: {}, template, warnings: diagnostics.map((d) => d.message) };
  };
}
