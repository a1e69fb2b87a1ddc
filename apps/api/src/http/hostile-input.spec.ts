import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { jsonDepth } from './json-body';
import { nullFaults, textFaults } from './hostile-input';

class Hours {
  @ApiProperty() weekday!: number;
}
class Pavilion {
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) description?: string | null;
  @ApiProperty({ type: [Hours] }) openingHours!: Hours[];
}

describe('hostile input checks', () => {
  it('measures JSON depth without parsing, ignoring brackets inside strings', () => {
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[[\\"{{{"}')).toBe(1);
    expect(jsonDepth('[]')).toBe(1);
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('['.repeat(100_000), 32)).toBe(33);
  });

  it('names every string PostgreSQL cannot store, values and field names', () => {
    expect(textFaults({ a: 'x\u0000', b: ['ok', '\ud800'], c: { 'k\udc00': 1 }, d: '🎪' })).toEqual(
      expect.arrayContaining([
        { field: 'a', message: 'must not contain NUL characters' },
        { field: 'b[1]', message: 'must be valid Unicode (it holds a lone surrogate)' },
        { field: 'c', message: expect.stringContaining('field name') },
      ]),
    );
    expect(textFaults({ d: '🎪 Астана' })).toEqual([]);
  });

  it('refuses null only where the DTO does not declare the field nullable', () => {
    const hours = Object.assign(new Hours(), { weekday: null });
    const pavilion = Object.assign(new Pavilion(), { name: null, description: null, openingHours: [hours] });
    expect(nullFaults(pavilion)).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'must not be null' },
        { field: 'openingHours[0].weekday', message: 'must not be null' },
      ]),
    );
    expect(nullFaults(pavilion)).toHaveLength(2);
  });
});
