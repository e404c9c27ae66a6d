import { Module } from '@nestjs/common';
import { AccountDomainsResolver, OnboardingResolver } from './onboarding.resolver';

/** Queries of the contract extension "onboarding" (read models: onboarding.projection.ts). */
@Module({ providers: [OnboardingResolver, AccountDomainsResolver] })
export class OnboardingModule {}
