import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode, FieldError } from '@pavilion/core';

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

/** Validates every DTO; unknown fields are refused and every bad field is listed. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new DomainError(
        ErrorCode.ValidationFailed,
        fields.length > 0
          ? `Invalid input: ${fields.map((f) => f.field).join(', ')}`
          : 'The request body must be a JSON object',
        { errors: fields.length > 0 ? fields : [{ field: '', message: 'must be a JSON object' }] },
      );
    },
  });
}
