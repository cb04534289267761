import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@sangam/domain';

/** The `:year` of a fee route: a four-digit year, 1000 to 9999. */
@Injectable()
export class FeeYearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9]\d{3}$/.test(value)) {
      throw new DomainError('validation_failed', 'The request is invalid', 'validation', [
        { field: 'year', message: 'year must be a four-digit year' },
      ]);
    }
    return Number(value);
  }
}
