/**
 * The convert step `up` hands to aws/deploy.ts: the project converted for the resolved
 * environment, with the ports its images declare (EXPOSE). The pulled images' ports are read
 * from their registries before (aws/image-ports.ts); the built images' ports come with the second
 * call, once they are built (aws/build-images.ts), keyed by their `<Svc>Image` parameters.
 */
import type { Project } from '../compose/model.js';
import { converterEnvironment, type ResolvedEnvironment } from '../aws/environment.js';
import type { ConvertedTemplate } from '../aws/deploy.js';
import type { ImagePortsLookup } from '../convert/environment.js';
import type { ProjectFiles } from '../convert/project-files.js';
import { convertProject } from '../convert/index.js';
import { renderTemplate } from '../cloudformation/serialize.js';

function warningLines(project: Project, diagnostics: ReadonlyArray<{ service?: string; message: string }>): string[] {
  return [
    ...project.warnings.map((w) => (w.file ? `${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}` : w.message)),
    // a converter diagnostic is a whole sentence that already names its service ("Service web: ...")
    ...diagnostics.map((d) => d.message),
  ];
}

export function upConvert(project: Project, files: ProjectFiles, pulledImagePorts: Record<string, ImagePortsLookup>) {
  return (env: ResolvedEnvironment, builtImagePorts: Record<string, ImagePortsLookup> = {}): ConvertedTemplate => {
    const { template, diagnostics } = convertProject(project, {
      files,
      environment: { ...converterEnvironment(env), imagePorts: { ...pulledImagePorts, ...builtImagePorts } },
    });
    return { body: renderTemplate(template, 'json'), parameters: {}, template, warnings: warningLines(project, diagnostics) };
  };
}
