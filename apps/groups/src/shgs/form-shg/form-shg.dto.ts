import { IsBusinessDate, IsText } from '@sangam/platform';

export class FormShgDto {
  @IsText('Mahila Shakti SHG')
  name: string;

  @IsText('Kudal')
  village: string;

  @IsBusinessDate()
  formedOn: string;
}
