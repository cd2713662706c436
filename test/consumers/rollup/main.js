// The whole app: the package registers <inr-image>.
import 'inrstream';
