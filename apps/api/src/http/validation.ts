import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ValidationError, ValidatorOptions } from 'class-validator';
import { DomainError, ErrorCode, FieldError, LruCache } from '@pavilion/core';
import { nullFaults, textFaults } from './hostile-input';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = /^\d+$/.test(e.property)
      ? `${parent}[${e.property}]`
      : parent
        ? `${parent}.${e.property}`
        : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'is not an allowed field' : message,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

function invalid(fields: FieldError[]): DomainError {
  return new DomainError(
    ErrorCode.ValidationFailed,
    fields.length > 0
      ? `Invalid input: ${fields.map((f) => f.field).join(', ')}`
      : 'The request body must be a JSON object',
    { errors: fields.length > 0 ? fields : [{ field: '', message: 'must be a JSON object' }] },
  );
}

/** A field error in class-validator's shape, so it is listed beside the DTO's own rule breaks. */
const asValidationError = ({ field, message }: FieldError): ValidationError =>
  Object.assign(new ValidationError(), { property: field, constraints: { notNull: message }, children: [] });

/**
 * Validates every DTO; unknown fields are refused and every bad field is listed. Before the DTO's rules:
 * strings that PostgreSQL cannot store (NUL, lone surrogates) anywhere in a body, query or path; after the
 * transform: `null` for a field the DTO does not declare nullable.
 */
class PavilionValidationPipe extends ValidationPipe {
  /** Valid query strings seen lately, per DTO class: a busy page's query is checked once, not per request. */
  private readonly queries = new WeakMap<object, LruCache<Promise<unknown>>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'query' || typeof metadata.metatype !== 'function')
      return this.check(value, metadata);
    let seen = this.queries.get(metadata.metatype);
    if (!seen) this.queries.set(metadata.metatype, (seen = new LruCache(500)));
    const key = JSON.stringify(value);
    const known = seen.get(key);
    if (known) return known;
    // Kept only once valid, frozen: a DTO instance shared by requests must not be changed by one of them.
    const checked = this.check(value, metadata).then((dto) => Object.freeze(dto));
    checked.then(
      () => seen.set(key, checked),
      () => undefined,
    );
    return checked;
  }

  private async check(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const faults = textFaults(value);
    if (faults.length > 0) throw invalid(faults);
    return super.transform(value, metadata);
  }

  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, options);
    return [...errors, ...nullFaults(object).map(asValidationError)];
  }
}

export function validationPipe(): ValidationPipe {
  return new PavilionValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => invalid(flatten(errors)),
  });
}
