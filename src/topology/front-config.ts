/**
 * A front setup's config file, rendered with a topology's values: a template that ships with
 * the project (a root-relative path) or the user's own file (an absolute path, `run --config`).
 */
import { renderTemplateFile } from '../templates.js';
import type { SetupSpec } from '../fronts/types.js';
import type { FrontVars } from '../fronts/vars.js';

export function renderFrontConfig(setup: SetupSpec, vars: FrontVars): string | undefined {
  if (!setup.template) return undefined;
  return renderTemplateFile(setup.template, { ...vars });
}
