import { IsBusinessDate } from '@sangam/platform';
import { IsText } from '../../shared/validation';

export class FormShgDto {
  @IsText('Mahila Shakti SHG')
  name: string;

  @IsText('Kudal')
  village: string;

  @IsBusinessDate()
  formedOn: string;
}
