import { Module } from '@nestjs/common';
import { AccountIndex } from './account-index';
import { AccountIndexRepository } from './account-index.repository';

@Module({ providers: [AccountIndexRepository, AccountIndex], exports: [AccountIndex] })
export class AccountIndexModule {}
