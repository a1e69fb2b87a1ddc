import { Eta } from 'eta';
import { join } from 'node:path';

/**
 * Eta templates (views/*.eta): plain HTML with escaped `<%= %>` output, compiled once and cached; no build step.
 * The build copies views/ and assets/ next to the compiled controllers.
 */
export const views = new Eta({ views: join(__dirname, 'views'), cache: true, autoEscape: true });

export function render(template: string, data: object): string {
  return views.render(template, data);
}
