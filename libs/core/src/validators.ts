import { ValidationOptions, registerDecorator } from 'class-validator';
import { isValidLocalDate, isValidTimeZone } from './time';

function stringRule(name: string, test: (value: string) => boolean, message: string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: propertyName as string,
        options: { message, ...options },
        validator: { validate: (value: unknown) => typeof value === 'string' && test(value) },
      });
}

/** An IANA timezone name such as Asia/Almaty. */
export const IsTimeZone = stringRule(
  'isTimeZone',
  (v) => v.length <= 64 && isValidTimeZone(v),
  '$property must be an IANA timezone such as Asia/Almaty',
);

/** A calendar date YYYY-MM-DD that exists. */
export const IsLocalDate = stringRule(
  'isLocalDate',
  isValidLocalDate,
  '$property must be a real date YYYY-MM-DD',
);
