/**
 * What an API key may be allowed to do, named like IMM's RAM actions. Each GraphQL operation needs
 * one of these (see src/auth/accessRules.ts); taxonomy lookups need only a valid key, and key
 * management and reindexing need the admin key.
 */
export enum ApiAction {
  DetectImageLabels = 'DetectImageLabels',
  ReadImages = 'ReadImages',
  DeleteImages = 'DeleteImages',
  SearchImages = 'SearchImages',
  ReadProjects = 'ReadProjects',
  ManageProjects = 'ManageProjects',
}

export const API_ACTIONS: readonly ApiAction[] = Object.values(ApiAction);

export const ACTION_DESCRIPTIONS: Record<ApiAction, string> = {
  [ApiAction.DetectImageLabels]:
    'detectImageLabels, detectImageLabelsBatch and labeling tasks (createDetectImageLabelsTask, task, tasks, cancelTask)',
  [ApiAction.ReadImages]: 'image and images',
  [ApiAction.DeleteImages]: 'deleteImage',
  [ApiAction.SearchImages]: 'searchImages and labelStats',
  [ApiAction.ReadProjects]: 'project and projects (only the projects the key covers)',
  [ApiAction.ManageProjects]: 'createProject, updateProject and deleteProject',
};
