import Commerce
import Customers
import TorsoKit
import Workflows

extension APIComponents {
    /// The typed request bodies, each under its type's name.
    static let typedRequests: [any RequestBody.Type] = [
        CreateCartRequest.self, CartDetailsRequest.self, CartLineRequest.self, LineQuantityRequest.self, PromotionCodeRequest.self,
        HandoffRequest.self, ClaimRequest.self,
        CompleteRequest.self, OrderTransitionRequest.self, AdjustmentBatchRequest.self,
    ]

    /// Every request body that is not a resource's: the typed ones and the others by name.
    static let requests: [String: APISchema] = {
        var requests: [String: APISchema] = [:]
        for type in typedRequests { requests[type.componentName] = type.documentedSchema }
        requests["KeyInput"] = .request(KeyController.schema)
        requests["PublishRequest"] = .request(PublishingService.Request.schema)
        requests["UnpublishRequest"] = .request(PublishingService.Request.unpublishSchema)
        requests["CustomerRegistration"] = .request(CustomerRules.registerSchema)
        requests["CustomerLogin"] = .request(CustomerRules.loginSchema)
        requests["CustomerProfilePatch"] = APISchema.request(CustomerRules.profileSchema).mergePatch
        requests["CustomerAddressInput"] = .request(CustomerRules.addressSchema)
        requests["CustomerAddressPatch"] = APISchema.request(CustomerRules.addressSchema).mergePatch
        requests["CustomerGroupPatch"] = APISchema.request(CustomerRules.adminPatchSchema).mergePatch
        requests["WebhookInput"] = .request(WebhookService.schema)
        requests["WebhookPatch"] = APISchema.request(WebhookService.schema).mergePatch
        requests["WebhookSecretRotation"] = .request(WebhookService.rotateSchema)
        requests["WebhookRedelivery"] = .request(WebhookService.redeliverSchema)
        return requests
    }()
}
