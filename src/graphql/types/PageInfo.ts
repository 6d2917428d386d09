import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Relay-style paging state: pass endCursor as `after` to get the next page.', simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item on this page; null when the page is empty.' })
  endCursor!: string | null;
}
