import { ArgsType, Field, Int } from 'type-graphql';

/** Paging arguments, as every listing takes them. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: '1..100, default 20.' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}
