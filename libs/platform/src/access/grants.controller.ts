import { Body, Controller, Delete, HttpCode, Inject, Param, Post, type Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import type { GrantedObjectType } from '@sangam/domain';
import type { AnyCommandHandler, UnitOfWork } from '@sangam/event-store';
import { CommandMetadata } from '../http/command-metadata.decorator';
import { RequestUnitOfWork } from '../http/request-unit-of-work';
import type { Role } from './caller';
import { inPath, Policy } from './route-policy';

export class GrantAccessDto {
  @IsString()
  @MaxLength(255)
  @Matches(/^[\x21-\x7e]+$/, { message: "userId must be the user's token subject (sub): printable characters, no spaces" })
  @ApiProperty({
    description: 'The OpenID Connect subject (sub) of the user, as GET /me shows it',
    example: '7f1c6a52-0b1e-4c35-9a8e-4d2f4f3e2a01',
  })
  userId!: string;
}

export class GrantView {
  @ApiProperty({ enum: ['network', 'shg', 'bank'] }) objectType!: GrantedObjectType;
  @ApiProperty({ format: 'uuid' }) objectId!: string;
  @ApiProperty() userId!: string;
}

export interface GrantsRoute {
  /** The path segment: `networks`, `shgs`, `banks`. */
  resource: string;
  objectType: GrantedObjectType;
  /** Who besides admin may grant and revoke (a field officer, for an SHG in their scope). */
  roles: readonly Role[];
  /** The command path of the object's stream, whose decider takes GrantAccess and RevokeAccess. */
  handler: Type<AnyCommandHandler>;
  /** The object's id as its commands name it (`{ shgId }`). */
  target: (objectId: string) => object;
}

/** `POST /<resource>/:id/grants` and `DELETE /<resource>/:id/grants/:userId`, the same for every granted object. */
export function grantsController({ resource, objectType, roles, handler, target }: GrantsRoute): Type {
  @ApiTags('access')
  @ApiBearerAuth()
  @Controller(`${resource}/:id/grants`)
  class GrantsController {
    constructor(@Inject(handler) private readonly objects: AnyCommandHandler) {}

    @Post()
    @Policy(roles, inPath(objectType))
    @ApiOperation({ operationId: `grant_${objectType}`, summary: `Grant a user this ${objectType}` })
    @ApiCreatedResponse({ type: GrantView })
    @ApiNotFoundResponse({ description: `not_found: no such ${objectType}, or not in your scope` })
    async grant(
      @Param('id') objectId: string,
      @Body() body: GrantAccessDto,
      @CommandMetadata() metadata: CommandMetadata,
      @RequestUnitOfWork() unit: UnitOfWork,
    ): Promise<GrantView> {
      await this.objects.handle(unit, objectId, { type: 'GrantAccess', data: { ...target(objectId), userId: body.userId }, metadata });
      return { objectType, objectId, userId: body.userId };
    }

    @Delete(':userId')
    @HttpCode(204)
    @Policy(roles, inPath(objectType))
    @ApiOperation({ operationId: `revoke_${objectType}`, summary: `Take this ${objectType} away from a user` })
    @ApiNoContentResponse()
    @ApiNotFoundResponse({ description: 'not_found: no such object or no such grant' })
    async revoke(
      @Param('id') objectId: string,
      @Param('userId') userId: string,
      @CommandMetadata() metadata: CommandMetadata,
      @RequestUnitOfWork() unit: UnitOfWork,
    ): Promise<void> {
      await this.objects.handle(unit, objectId, { type: 'RevokeAccess', data: { ...target(objectId), userId }, metadata });
    }
  }
  Object.defineProperty(GrantsController, 'name', { value: `${objectType[0].toUpperCase()}${objectType.slice(1)}GrantsController` });
  return GrantsController;
}
