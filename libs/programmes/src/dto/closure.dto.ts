import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

const INSTANT_DOC = 'ISO 8601; with an offset it is that instant, without one a wall time at the venue';

export class CreateClosureDto {
  @ApiProperty({ example: '2017-08-15T13:00', description: INSTANT_DOC })
  @IsString()
  @MaxLength(40)
  from!: string;
  @ApiProperty({ example: '2017-08-15T21:00', description: INSTANT_DOC })
  @IsString()
  @MaxLength(40)
  to!: string;
  @ApiProperty({ example: 'Ceiling repairs' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}

export class ClosureResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() spaceId!: string;
  @ApiProperty({ example: '2017-08-15T13:00:00+06:00' }) from!: string;
  @ApiProperty({ example: '2017-08-15T21:00:00+06:00' }) to!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() createdAt!: string;
}

export class CreatedClosureResponseDto extends ClosureResponseDto {
  @ApiProperty({ type: [String], description: 'The placed items this closure displaced' })
  displacedItemIds!: string[];
}
