import { FieldError, textFault } from '@pavilion/core';

const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

type Visit = (value: unknown, field: string) => void;

/** Visits every value of a parsed body or query with its field path (`a.b[2].c`), without recursion. */
function walk(root: unknown, visit: Visit): void {
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [value, field] = stack.pop() as [unknown, string];
    visit(value, field);
    if (Array.isArray(value)) value.forEach((v, i) => stack.push([v, `${field}[${i}]`]));
    else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) stack.push([v, field ? `${field}.${key}` : key]);
    }
  }
}

/** Strings (values and field names) that PostgreSQL or UTF-8 cannot hold: NUL characters, lone surrogates. */
export function textFaults(input: unknown): FieldError[] {
  const faults: FieldError[] = [];
  walk(input, (value, field) => {
    const fault = typeof value === 'string' ? textFault(value) : null;
    if (fault) faults.push({ field: field || 'value', message: fault });
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const key of Object.keys(value)) {
        const keyFault = textFault(key);
        if (keyFault) faults.push({ field: field || 'body', message: `has a field name that ${keyFault}` });
      }
    }
  });
  return faults;
}

/**
 * `null` where the DTO does not declare the field nullable (OpenAPI `nullable: true`): `@IsOptional()` lets
 * null through to the database, where a NOT NULL column would refuse it with a 500. Walks the transformed
 * instance, whose nested objects are instances of their DTO classes.
 */
export function nullFaults(instance: unknown): FieldError[] {
  const faults: FieldError[] = [];
  walk(instance, (value, field) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const prototype = Object.getPrototypeOf(value) as object | null;
    if (!prototype || prototype === Object.prototype) return;
    for (const [key, v] of Object.entries(value)) {
      if (v !== null) continue;
      const declared = Reflect.getMetadata(API_MODEL_PROPERTIES, prototype, key) as
        { nullable?: boolean } | undefined;
      if (!declared?.nullable) {
        faults.push({ field: field ? `${field}.${key}` : key, message: 'must not be null' });
      }
    }
  });
  return faults;
}
