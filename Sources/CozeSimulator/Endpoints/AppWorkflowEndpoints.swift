/// `GET /v1/apps` (`listApp`) and `GET /v1/workflows` (`listWorkflow`): workspace-level resources
/// with the visibility of bots (4101 unless the caller lists the workspace; a migrated
/// workspace's apps and workflows belong to the enterprise with it).
enum AppWorkflowEndpoints {
    static let workflowPublishStatuses = ["all", "published_online", "unpublished_draft"]
    static let workflowModes = ["workflow", "chatflow"]

    /// Apps: `{items, total}`, paged by number (`page_num`; `page_index` too, which cozepy sends).
    static func apps(_ context: EndpointContext) throws(APIFailure) -> JSONValue {
        let query = context.query
        let workspaceID = try query.required("workspace_id")
        let status = try query.oneOf("publish_status", BotEndpoints.publishStatuses, default: "published_online")!
        let connector = query.string("connector_id").flatMap { $0.isEmpty ? nil : $0 } ?? "1024"
        let keys = context.scenario.has(.appsPageIndexOnly) ? ["page_index"] : ["page_num", "page_index"]
        let window = try query.page(numberKeys: keys, defaultSize: 20, sizeRange: 1...50)
        try context.requireListable(workspaceID: workspaceID)
        let apps = context.scenario.apps.filter { app in
            app.workspaceID == workspaceID
                && BotEndpoints.listed(publishStatus: app.publishStatus, connectorIDs: app.connectorIDs, asked: status, connector: connector)
        }
        let page = window.slice(apps)
        return .object([("items", .array(page.items.map(appItem))), ("total", .int(Int64(apps.count)))])
    }

    static func appItem(_ app: Scenario.App) -> JSONValue {
        var value: JSONValue = .object([
            ("id", .string(app.id)),
            ("name", .string(app.name)),
            ("description", .string(app.description ?? "")),
            ("icon_url", .string(FakeCDN.icon("app", app.id))),
            ("is_published", .bool(app.isPublished)),
            ("updated_at", .int(app.updatedAt)),
        ])
        if app.isPublished { value["published_at"] = .int(app.publishedAt ?? app.updatedAt) }
        value["owner_user_id"] = .string(app.ownerUserID)
        value["folder_id"] = .string(app.folderID ?? "")
        return value
    }

    /// Workflows: `{items, has_more}`, paged by `page_num` (required), `page_size` 1–30.
    /// Without `workflow_mode` both modes are listed.
    static func workflows(_ context: EndpointContext) throws(APIFailure) -> JSONValue {
        let query = context.query
        let workspaceID = try query.required("workspace_id")
        _ = try query.required("page_num")
        let status = try query.oneOf("publish_status", workflowPublishStatuses, default: "published_online")!
        let mode = try query.oneOf("workflow_mode", workflowModes, default: nil)
        let appID = query.string("app_id").flatMap { $0.isEmpty ? nil : $0 }
        let window = try query.page(numberKeys: ["page_num"], defaultSize: 10, sizeRange: 1...30)
        try context.requireListable(workspaceID: workspaceID)
        let workflows = context.scenario.workflows.filter { workflow in
            workflow.workspaceID == workspaceID
                && (status == "all" || workflow.publishStatus == status)
                && (mode == nil || workflow.mode == mode)
                && (appID == nil || workflow.appID == appID)
        }
        let page = window.slice(workflows)
        return .object([("items", .array(page.items.map(workflowItem))), ("has_more", .bool(page.hasMore))])
    }

    static func workflowItem(_ workflow: Scenario.Workflow) -> JSONValue {
        .object([
            ("workflow_id", .string(workflow.id)),
            ("workflow_name", .string(workflow.name)),
            ("description", .string(workflow.description ?? "")),
            ("icon_url", .string(FakeCDN.icon("workflow", workflow.id))),
            ("app_id", .string(workflow.appID ?? "0")),
            // Strings, as the documentation shows them.
            ("created_at", .string(String(workflow.createdAt))),
            ("updated_at", .string(String(workflow.updatedAt))),
            ("creator", .object([("id", .string(workflow.creatorID)), ("name", .string("creator \(workflow.creatorID.suffix(4))"))])),
        ])
    }
}
