import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuthGuard } from './auth.guard';
import { BEARER_TOKEN_VERIFIER, NoOidcVerifier } from './bearer-token-verifier';
import { WhoamiController } from './whoami.controller';

/** Puts the guard in front of every route of the application, the platform's probes and metrics included. */
@Module({
  imports: [ApiKeysModule],
  controllers: [WhoamiController],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }, { provide: BEARER_TOKEN_VERIFIER, useClass: NoOidcVerifier }],
})
export class AuthModule {}
