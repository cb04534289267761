import { BadRequestException, ServiceUnavailableException } from '@nestjs/common';
import { DomainError } from '@sangam/domain';
import { toErrorResponse } from './error-response';

describe('the contract error shape', () => {
  it('maps a domain error by its category and keeps its code', () => {
    expect(toErrorResponse(new DomainError('fee_overpayment', 'Too much'))).toEqual({
      status: 422,
      body: { error: 'fee_overpayment', message: 'Too much' },
    });
  });

  it('answers an unhealthy dependency 503 naming it, without internals', () => {
    const unhealthy = new ServiceUnavailableException({
      status: 'error',
      info: {},
      error: { kafka: { status: 'down', message: 'ECONNREFUSED' } },
    });
    expect(toErrorResponse(unhealthy)).toEqual({ status: 503, body: { error: 'service_unavailable', message: 'Not healthy: kafka' } });
  });

  it('hides anything unexpected behind a 500 without its message', () => {
    expect(toErrorResponse(new Error('relation "loans" does not exist'))).toEqual({
      status: 500,
      body: { error: 'internal_error', message: 'Something went wrong on our side; it has been logged' },
    });
    expect(toErrorResponse(new BadRequestException('nope')).status).toBe(400);
  });
});
